"""PyTorch side of `sonofuse bench --compare-pytorch` (main/engine/bench/pytorch-anchor.ts).

The same measurement as main/engine/bench/engine-benchmark.ts, in PyTorch (Debian python3-torch,
CPU): MobileNetV2 width 1.0 (the Keras application's structure: stem 3x3/2 32, 17 inverted
residual blocks, 1x1 conv 1280, BatchNorm eps 1e-3, ReLU6, global average pooling, 4-way
softmax head), random init, full fine-tuning with Adam 1e-4 and categorical cross-entropy, one
untimed warm-up step then `steps` timed steps per size; inference = eval-mode forward of the same
batch under no_grad. Rates are images/s of the median step (wall clock) and of the median process
CPU time divided by the thread count (as train_img_s_cpu_bound on our side).

Usage: python3 pytorch-mobilenet-v2.py --threads 2 --batch 16 --steps 3 --sizes 224,160
Prints exactly one JSON object on stdout. Never fails on a time.
"""

import argparse
import json
import resource
import sys
import time

import torch
from torch import nn


def conv_bn(cin, cout, k, stride, groups=1, relu=True):
    layers = [
        nn.Conv2d(cin, cout, k, stride, (k - 1) // 2, groups=groups, bias=False),
        nn.BatchNorm2d(cout, eps=1e-3, momentum=0.001),
    ]
    if relu:
        layers.append(nn.ReLU6(inplace=True))
    return layers


class InvertedResidual(nn.Module):
    def __init__(self, cin, cout, stride, expand):
        super().__init__()
        hidden = cin * expand
        layers = []
        if expand != 1:
            layers += conv_bn(cin, hidden, 1, 1)
        layers += conv_bn(hidden, hidden, 3, stride, groups=hidden)
        layers += conv_bn(hidden, cout, 1, 1, relu=False)
        self.body = nn.Sequential(*layers)
        self.residual = stride == 1 and cin == cout

    def forward(self, x):
        y = self.body(x)
        return x + y if self.residual else y


def mobilenet_v2(classes):
    blocks = [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1),
              (6, 160, 3, 2), (6, 320, 1, 1)]
    layers = conv_bn(3, 32, 3, 2)
    cin = 32
    for t, c, n, s in blocks:
        for i in range(n):
            layers.append(InvertedResidual(cin, c, s if i == 0 else 1, t))
            cin = c
    layers += conv_bn(cin, 1280, 1, 1)
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(1280, classes)]
    return nn.Sequential(*layers)


def timed(steps, fn):
    fn()
    wall, cpu = [], []
    for _ in range(steps):
        c0, t0 = time.process_time(), time.perf_counter()
        fn()
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return sorted(wall)[len(wall) // 2], sorted(cpu)[len(cpu) // 2]


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--threads', type=int, default=2)
    p.add_argument('--batch', type=int, default=16)
    p.add_argument('--steps', type=int, default=3)
    p.add_argument('--sizes', default='224,160')
    p.add_argument('--classes', type=int, default=4)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    threads = max(1, min(a.threads, 2))
    results = []
    for size in [int(s) for s in a.sizes.split(',')]:
        model = mobilenet_v2(a.classes)
        opt = torch.optim.Adam(model.parameters(), lr=1e-4)
        x = torch.rand(a.batch, 3, size, size) * 2 - 1
        y = torch.arange(a.batch) % a.classes
        loss_fn = nn.CrossEntropyLoss()

        def train_step():
            model.train()
            opt.zero_grad(set_to_none=True)
            loss_fn(model(x), y).backward()
            opt.step()

        def infer_step():
            model.eval()
            with torch.no_grad():
                model(x).softmax(1).numpy()

        tw, tc = timed(a.steps, train_step)
        iw, ic = timed(a.steps, infer_step)
        r = {
            'size': size,
            'train_img_s': round(a.batch / tw, 2),
            'infer_img_s': round(a.batch / iw, 2),
            'train_img_s_cpu_bound': round(a.batch / (tc / threads), 2),
            'infer_img_s_cpu_bound': round(a.batch / (ic / threads), 2),
            'peak_rss_mb': round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        }
        results.append(r)
        print(f"pytorch {size}px: train {r['train_img_s']} img/s; inference {r['infer_img_s']} img/s",
              file=sys.stderr)
    out = {'torch': torch.__version__, 'threads': a.threads, 'batch': a.batch, 'steps': a.steps,
           'results': results}
    print(json.dumps(out))


if __name__ == '__main__':
    main()
