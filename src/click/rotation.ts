/** Weighted random choice; `random` is in [0, 1). Items with weight 0 are never picked. */
export function pickWeighted<T extends { weight: number }>(items: T[], random: number): T | undefined {
  const total = items.reduce((sum, item) => sum + Math.max(0, item.weight), 0);
  if (total <= 0) return undefined;
  let point = random * total;
  for (const item of items) {
    if (item.weight <= 0) continue;
    point -= item.weight;
    if (point < 0) return item;
  }
  return items.findLast((item) => item.weight > 0);
}

/** A uniform float in [0, 1) from the CSPRNG. */
export function secureRandom(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0]! / 2 ** 32;
}
