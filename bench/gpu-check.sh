#!/usr/bin/env bash
# GPU check for issue 8: run on a machine with an NVIDIA GPU (Vulkan loader available for WebGPU;
# CUDA 11.2 + cuDNN 8 libraries for tfjs-node-gpu). Prints the adapter description, then the
# `sonofuse bench --json` answer for each GPU backend (a report, or an UNAVAILABLE error and exit 3),
# then the CPU engine's figures for comparison. Never fails on a time; exits non-zero only if a
# backend that should work crashes.
set -u
cd "$(dirname "$0")/.."

echo "== machine"
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader 2>/dev/null || echo "nvidia-smi: not available"
ls /usr/lib/x86_64-linux-gnu/libvulkan.so.1 2>/dev/null || echo "libvulkan.so.1: not found (WebGPU needs the Vulkan loader: apt-get install -y libvulkan1)"
ls /usr/share/vulkan/icd.d/ 2>/dev/null || true

echo "== backends (sonofuse info)"
node main/cli/bin.mjs info --json

status=0
for backend in webgpu tfjs-node-gpu; do
  echo "== engine benchmark on ${backend}"
  node main/cli/bin.mjs bench --json --backend "${backend}" --sizes 224 --steps 5 --skip-cpu
  rc=$?
  # 3: the backend cannot run on this machine (the JSON above says why); not a crash.
  if [ "$rc" -eq 3 ]; then
    echo "bench on ${backend}: unavailable here (skipped)"
  elif [ "$rc" -ne 0 ]; then
    echo "bench on ${backend}: failed with exit code ${rc} (see above)"
    status=1
  fi
done

echo "== engine benchmark on the CPU engine (wasm), for the speed-up ratio"
node main/cli/bin.mjs bench --json --backend wasm --sizes 224 --steps 2 --skip-cpu || status=1
exit $status
