import type { PlacedFinding } from './highlights';

const NONE: readonly PlacedFinding[] = Object.freeze([]);

/**
 * The placed findings touching each text node, for hit-testing and for finding what a page update
 * replaces. Most nodes hold a single finding, so that one is kept as it is and a list is made only
 * for a second: a one-element array costs about 100 bytes, and a long page has 50,000 such nodes.
 */
export class NodeIndex {
  private readonly byNode = new Map<Node, PlacedFinding | PlacedFinding[]>();

  static of(placed: readonly PlacedFinding[]): NodeIndex {
    const index = new NodeIndex();
    for (const p of placed) index.add(p);
    return index;
  }

  add(p: PlacedFinding): void {
    this.addAt(p.startContainer, p);
    if (p.endContainer !== p.startContainer) this.addAt(p.endContainer, p);
  }

  remove(p: PlacedFinding): void {
    this.removeAt(p.startContainer, p);
    if (p.endContainer !== p.startContainer) this.removeAt(p.endContainer, p);
  }

  /** The findings that start or end in `node`, in the order they were added. */
  at(node: Node): readonly PlacedFinding[] {
    const here = this.byNode.get(node);
    return here === undefined ? NONE : Array.isArray(here) ? here : [here];
  }

  private addAt(node: Node, p: PlacedFinding): void {
    const here = this.byNode.get(node);
    if (here === undefined) this.byNode.set(node, p);
    else if (Array.isArray(here)) here.push(p);
    else this.byNode.set(node, [here, p]);
  }

  private removeAt(node: Node, p: PlacedFinding): void {
    const here = this.byNode.get(node);
    if (here === p) this.byNode.delete(node);
    else if (Array.isArray(here)) {
      const rest = here.filter((q) => q !== p);
      if (rest.length === 0) this.byNode.delete(node);
      else this.byNode.set(node, rest.length === 1 ? rest[0]! : rest);
    }
  }
}
