import type * as tfType from '@tensorflow/tfjs';
import { createFastLayers } from '../wasm/fast-layers';

type Tf = typeof tfType;
type Sym = tfType.SymbolicTensor;

/** Options of {@link buildMobileNetV2}. */
export interface MobileNetV2Options {
  size: number;
  classes: number;
  /** Seed of the (glorot-uniform) initialisers, so every benchmark run trains the same network. */
  seed?: number;
  /** Use SonoFuse's fused BatchNormalization/ReLU layers (default true; stock layers otherwise). */
  fast?: boolean;
}

/**
 * MobileNetV2 (width 1.0) with the Keras application's layer structure: Conv1 'same' stride 2,
 * 17 inverted-residual blocks (ZeroPadding2D + 'valid' depthwise on stride 2), Conv_1 1280,
 * BatchNorm(eps 1e-3, momentum 0.999), ReLU6, global average pooling and a softmax head.
 * Random init: this is for measuring speed, not accuracy.
 */
export const buildMobileNetV2 = (tf: Tf, opts: MobileNetV2Options): tfType.LayersModel => {
  let seed = opts.seed ?? 1;
  const init = () => tf.initializers.glorotUniform({ seed: seed++ });
  const fast = createFastLayers(tf);
  const layers = opts.fast === false ? tf.layers : fast;
  const bn = (x: Sym) => layers.batchNormalization({ epsilon: 1e-3, momentum: 0.999 }).apply(x) as Sym;
  const relu6 = (x: Sym) => layers.reLU({ maxValue: 6 }).apply(x) as Sym;
  const conv1x1 = (x: Sym, filters: number) =>
    tf.layers
      .conv2d({ filters, kernelSize: 1, padding: 'same', useBias: false, kernelInitializer: init() })
      .apply(x) as Sym;

  const input = tf.input({ shape: [opts.size, opts.size, 3] });
  let x = tf.layers
    .conv2d({
      filters: 32,
      kernelSize: 3,
      strides: 2,
      padding: 'same',
      useBias: false,
      kernelInitializer: init(),
    })
    .apply(input) as Sym;
  x = relu6(bn(x));
  let inC = 32;
  let spatial = Math.ceil(opts.size / 2);
  const blocks: Array<[number, number, number, number]> = [
    [1, 16, 1, 1],
    [6, 24, 2, 2],
    [6, 32, 3, 2],
    [6, 64, 4, 2],
    [6, 96, 3, 1],
    [6, 160, 3, 2],
    [6, 320, 1, 1],
  ];
  for (const [t, c, n, s] of blocks) {
    for (let i = 0; i < n; i++) {
      const stride = i === 0 ? s : 1;
      const shortcut = x;
      let h = x;
      if (t !== 1) h = relu6(bn(conv1x1(h, inC * t)));
      if (stride === 2) {
        const adjust = spatial % 2 === 0 ? 1 : 0;
        h = tf.layers
          .zeroPadding2d({
            padding: [
              [1 - adjust, 1],
              [1 - adjust, 1],
            ],
          })
          .apply(h) as Sym;
        spatial = Math.ceil(spatial / 2);
      }
      h = tf.layers
        .depthwiseConv2d({
          kernelSize: 3,
          strides: stride,
          padding: stride === 2 ? 'valid' : 'same',
          useBias: false,
          depthwiseInitializer: init(),
        })
        .apply(h) as Sym;
      h = relu6(bn(h));
      h = bn(conv1x1(h, c));
      if (stride === 1 && inC === c) h = tf.layers.add().apply([shortcut, h]) as Sym;
      x = h;
      inC = c;
    }
  }
  x = relu6(bn(conv1x1(x, 1280)));
  x = tf.layers.globalAveragePooling2d({}).apply(x) as Sym;
  const out = tf.layers
    .dense({ units: opts.classes, activation: 'softmax', kernelInitializer: init() })
    .apply(x) as Sym;
  return tf.model({ inputs: input, outputs: out });
};
