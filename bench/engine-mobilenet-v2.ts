/** The random-init MobileNetV2 builder now lives in main/ (the `sonofuse bench` command uses it). */
export type { MobileNetV2Options } from '../main/engine/bench/engine-mobilenet-v2';
export { buildMobileNetV2 } from '../main/engine/bench/engine-mobilenet-v2';
