import { anatomyEcho, type PhantomClass, type Pose } from './phantom-anatomy';
import type { Random } from '../../shared/random/seeded-random';

export interface PhantomImageOptions {
  size: number;
  label: PhantomClass;
  pose: Pose;
  /** Overall gain, about 0.8-1.2. */
  gain: number;
  /** Half opening angle of the fan, radians. */
  halfAngle: number;
}

/**
 * Renders one B-mode-like sector image (8-bit grey, row-major). A curvilinear fan opens from an
 * apex above the top edge; inside it, tissue echo + the view's anatomy are multiplied by Rayleigh
 * speckle and attenuated with depth; outside it the image is black except for a burned-in text
 * block and a depth scale, as on real scanner exports. Synthetic: no patient data is involved.
 */
export const renderPhantomImage = (options: PhantomImageOptions, rnd: Random): Uint8Array => {
  const { size, gain, halfAngle } = options;
  const pixels = new Uint8Array(size * size);
  const apexX = size / 2;
  const apexY = -0.08 * size;
  const rMin = 0.16 * size;
  const rMax = 1.05 * size;
  const echo = anatomyEcho(options.label, options.pose, rnd);
  // Low-frequency tissue texture: a few random plane waves.
  const waves = Array.from({ length: 4 }, () => ({
    kx: rnd.range(-6, 6) / size,
    ky: rnd.range(-6, 6) / size,
    ph: rnd.range(0, 6.28),
    a: rnd.range(0.03, 0.08),
  }));
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const dx = x - apexX;
      const dy = y - apexY;
      const r = Math.hypot(dx, dy);
      const theta = Math.atan2(dx, dy);
      if (Math.abs(theta) > halfAngle || r < rMin || r > rMax) continue;
      let tissue = 0.32;
      for (const w of waves) tissue += w.a * Math.sin(w.kx * x * 6.28 + w.ky * y * 6.28 + w.ph);
      const amplitude = Math.max(0.02, tissue + 0.35 * echo(x, y));
      const depth = (r - rMin) / (rMax - rMin);
      const attenuation = Math.exp(-1.1 * depth) * (0.75 + 0.5 * depth); // attenuation, partly TGC-compensated
      const speckle = Math.sqrt(-2 * Math.log(Math.max(rnd.next(), 1e-9))) * 0.7;
      const value = 255 * Math.min(1, amplitude * attenuation * speckle * gain * 1.25);
      // Soft fan edge, as real transducers' outer lines are dimmer.
      const edge = Math.min(1, (halfAngle - Math.abs(theta)) * 20);
      pixels[y * size + x] = Math.round(Math.max(0, value * edge));
    }
  }
  burnInOverlay(pixels, size, rnd);
  return pixels;
};

/** A block of "text" (bright dashes) top-left and a depth scale on the right, outside the fan. */
const burnInOverlay = (pixels: Uint8Array, size: number, rnd: Random): void => {
  const unit = Math.max(1, Math.round(size / 64));
  for (let line = 0; line < 3; line++) {
    let x = unit * 2;
    const y0 = unit * (2 + line * 3);
    while (x < size * 0.22) {
      const w = unit * rnd.int(1, 3);
      for (let yy = y0; yy < y0 + unit * 2 && yy < size; yy++)
        for (let xx = x; xx < x + w && xx < size; xx++) pixels[yy * size + xx] = 210;
      x += w + unit;
    }
  }
  const sx = size - unit * 3;
  for (let y = Math.round(size * 0.1); y < size * 0.95; y += unit * 6) {
    for (let xx = sx; xx < sx + unit * 2; xx++) pixels[y * size + xx] = 180;
  }
};
