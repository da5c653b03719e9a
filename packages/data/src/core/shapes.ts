/**
 * The shapes drawn by the synthetic dataset, as inside-tests in shape-local coordinates: the shape
 * is centred at the origin and fits in the unit disc. None is a rotation of another (the renderer
 * rotates every shape at random), so each class stays distinguishable.
 */
export const SHAPE_NAMES = ['circle', 'square', 'triangle', 'star', 'cross', 'ring', 'hexagon', 'crescent', 'heart', 'ellipse'] as const;

export type ShapeName = (typeof SHAPE_NAMES)[number];

// Edge normals, flattened [x0, y0, x1, y1, x2, y2] (hot loop: no closures).
const T = [0, 1, 2].flatMap((k) => [Math.cos(-Math.PI / 2 + (k * 2 * Math.PI) / 3), Math.sin(-Math.PI / 2 + (k * 2 * Math.PI) / 3)]);
const H = [0, 1, 2].flatMap((k) => [Math.cos((k * Math.PI) / 3), Math.sin((k * Math.PI) / 3)]);
const STAR_POINTS = 5;

export function insideShape(shape: ShapeName, x: number, y: number): boolean {
  switch (shape) {
    case 'circle':
      return x * x + y * y <= 0.81;
    case 'square':
      return Math.abs(x) <= 0.7 && Math.abs(y) <= 0.7;
    case 'triangle':
      // Equilateral, circumradius 1: every edge lies at distance 0.5 from the centre, opposite a vertex.
      return -(T[0] * x + T[1] * y) <= 0.5 && -(T[2] * x + T[3] * y) <= 0.5 && -(T[4] * x + T[5] * y) <= 0.5;
    case 'star': {
      const r = Math.sqrt(x * x + y * y);
      const period = (2 * Math.PI) / STAR_POINTS;
      const angle = Math.atan2(y, x) + Math.PI / 2;
      const phase = (((angle % period) + period) % period) / period; // 0 at a tip, 0.5 between tips
      const t = Math.abs(phase - 0.5) * 2; // 1 at a tip, 0 between
      return r <= 0.4 + 0.6 * t * t;
    }
    case 'cross':
      return (Math.abs(x) <= 0.28 && Math.abs(y) <= 0.9) || (Math.abs(y) <= 0.28 && Math.abs(x) <= 0.9);
    case 'ring': {
      const r2 = x * x + y * y;
      return r2 <= 0.9 && r2 >= 0.3;
    }
    case 'hexagon':
      return Math.abs(H[0] * x + H[1] * y) <= 0.82 && Math.abs(H[2] * x + H[3] * y) <= 0.82 && Math.abs(H[4] * x + H[5] * y) <= 0.82;
    case 'crescent': {
      const dx = x - 0.45;
      return x * x + y * y <= 0.85 && dx * dx + y * y > 0.5;
    }
    case 'heart': {
      // (x^2 + y^2 - 1)^3 - x^2 y^3 <= 0, scaled into the unit disc, point up.
      const u = x * 1.25;
      const v = -y * 1.25 + 0.15;
      const a = u * u + v * v - 1;
      return a * a * a - u * u * v * v * v <= 0;
    }
    case 'ellipse':
      return (x * x) / 0.9 + (y * y) / 0.2 <= 1;
  }
}
