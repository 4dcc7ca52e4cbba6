/**
 * Whether the overlay frame is fully on screen and nothing covers it, so a click on "Consultar" is
 * the analyst's and not a page's trick (clickjacking: a page shows the frame transparent, or under
 * its own content, and lures a click). IntersectionObserver v2 (`trackVisibility`) answers both
 * where the browser has it (Chromium); elsewhere only "fully inside the viewport" is known.
 */
type VisibilityEntry = IntersectionObserverEntry & { isVisible?: boolean };

export function fullyVisible(entry: VisibilityEntry, tracksOcclusion: boolean): boolean {
  if (entry.intersectionRatio < 0.99) return false;
  return tracksOcclusion ? entry.isVisible === true : true;
}

export function watchFullyVisible(element: Element, listener: (visible: boolean) => void): () => void {
  const options = { threshold: [0, 0.99, 1], trackVisibility: true, delay: 100 };
  const observer = new IntersectionObserver((entries) => {
    const entry = entries[entries.length - 1] as VisibilityEntry | undefined;
    if (entry) listener(fullyVisible(entry, 'isVisible' in entry));
  }, options as IntersectionObserverInit);
  observer.observe(element);
  return () => observer.disconnect();
}
