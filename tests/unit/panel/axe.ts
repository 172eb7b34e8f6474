/** axe-core (wcag2a, wcag2aa) over a rendered view; returns "rule: target" strings for readable diffs. */
import axe from 'axe-core';

export async function axeViolations(root: Element): Promise<string[]> {
  const result = await axe.run(root, { runOnly: ['wcag2a', 'wcag2aa'] });
  return result.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')}`));
}

/** axe over a whole view takes seconds under happy-dom on a busy two-core machine. */
export const AXE_TIMEOUT = 30_000;
