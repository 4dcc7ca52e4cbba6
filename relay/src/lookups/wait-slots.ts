/**
 * The long-polls an analyst holds open on this node, lookups and batches alike, counted against one
 * cap (MAX_WAITS_PER_ANALYST): each open wait holds a request, memory and, for a batch, reads.
 */
import { LookupRefusal } from './lookup-refusal.js';

export type WaitSlots = ReturnType<typeof createWaitSlots>;

export function createWaitSlots(maxPerAnalyst: number) {
  const open = new Map<string, number>();
  return {
    /** A slot for one more wait, or the refusal to retry in a second; call the result when it ends. */
    take(analystId: string): () => void {
      const held = open.get(analystId) ?? 0;
      if (held >= maxPerAnalyst) {
        throw new LookupRefusal(
          'too_many_waits',
          `At most ${maxPerAnalyst} long-polls at once per analyst; wait on fewer lookups or batches at a time`,
          1,
        );
      }
      open.set(analystId, held + 1);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        const left = (open.get(analystId) ?? 1) - 1;
        if (left > 0) open.set(analystId, left);
        else open.delete(analystId);
      };
    },
  };
}
