import { buildPreset } from '../../../../shared/augment/augment-presets';
import { AugmentConfig } from '../../../../shared/augment/augment-config';
import { planBatch } from '../../../../main/augment/plan-batch';
import { fullFrameSector } from '../../../../main/augment/sector-detect';
const base = buildPreset('ultrasound-default');
const sectors = Array(32).fill({ ...fullFrameSector(), found: true });
for (const k of [-1, ...base.steps.map((_, i) => i)]) {
  const cfg = AugmentConfig.parse({ ...base, steps: k < 0 ? base.steps : [base.steps[k]] });
  const times: number[] = [];
  for (let r = 0; r < 6; r++) { const t = performance.now(); planBatch({ config: cfg, batchSize: 32, height: 256, width: 256, seed: r, sectors }); times.push(performance.now() - t); }
  times.sort((a, b) => a - b);
  console.log(k < 0 ? 'all' : base.steps[k].kind, times.map((v) => v.toFixed(1)).join(' '));
}
