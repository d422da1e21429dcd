import type { Page } from 'playwright-core';

/**
 * A small axe-like audit run inside the page: the checks that catch most regressions in a form-and-card UI.
 * It returns human-readable violations (empty = pass). Not a replacement for a full WCAG audit.
 *
 * - document language set; exactly one main landmark and one h1; no skipped heading levels
 * - every form control, button, link and image has an accessible name
 * - ids are unique (aria-describedby/labelledby depend on it)
 * - text contrast ≥ 4.5:1 (≥ 3:1 for large text) against the nearest opaque background
 * - interactive controls are at least 44×44 CSS px when `minTarget` is set (phone layout)
 */
export async function auditPage(page: Page, options: { minTarget?: number } = {}): Promise<string[]> {
  return page.evaluate(({ minTarget }) => {
    const problems: string[] = [];
    const describe = (el: Element) => {
      const text = (el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 40);
      return `<${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className && typeof el.className === 'string' ? `.${el.className.split(' ')[0]}` : ''}>${text ? ` "${text}"` : ''}`;
    };
    const visible = (el: Element) => {
      const style = getComputedStyle(el);
      const rect = el.getBoundingClientRect();
      return style.visibility !== 'hidden' && style.display !== 'none' && rect.width > 0 && rect.height > 0;
    };
    const accessibleName = (el: Element): string => {
      const labelledBy = el.getAttribute('aria-labelledby');
      if (labelledBy) return labelledBy.split(/\s+/).map((id) => document.getElementById(id)?.textContent ?? '').join(' ').trim();
      const aria = el.getAttribute('aria-label');
      if (aria) return aria.trim();
      if (el instanceof HTMLInputElement || el instanceof HTMLSelectElement || el instanceof HTMLTextAreaElement) {
        const labels = el.labels ? Array.from(el.labels).map((l) => l.textContent ?? '') : [];
        return labels.join(' ').trim() || (el.getAttribute('title') ?? '').trim();
      }
      if (el instanceof HTMLImageElement) return (el.alt ?? '').trim();
      const own = (el.textContent ?? '').trim();
      if (own) return own;
      const img = el.querySelector('img[alt], svg[aria-label]');
      return (img?.getAttribute('alt') ?? img?.getAttribute('aria-label') ?? el.getAttribute('title') ?? '').trim();
    };

    if (!document.documentElement.lang) problems.push('html has no lang attribute');
    const mains = document.querySelectorAll('main, [role="main"]');
    if (mains.length !== 1) problems.push(`expected one main landmark, found ${mains.length}`);
    const h1s = Array.from(document.querySelectorAll('h1')).filter(visible);
    if (h1s.length !== 1) problems.push(`expected one visible h1, found ${h1s.length}`);
    let last = 0;
    for (const h of Array.from(document.querySelectorAll('h1, h2, h3, h4, h5, h6')).filter(visible)) {
      const level = Number(h.tagName[1]);
      if (last && level > last + 1) problems.push(`heading level skips from h${last} to h${level}: ${describe(h)}`);
      last = level;
    }

    for (const el of Array.from(document.querySelectorAll('input:not([type="hidden"]), select, textarea, button, a[href], img, [role="button"]'))) {
      if (!visible(el) && !(el instanceof HTMLAnchorElement && el.classList.contains('skip-link'))) continue;
      // alt="" marks a decorative image (WCAG H67), e.g. a thumbnail next to the file name it shows.
      if (el instanceof HTMLImageElement && el.getAttribute('alt') === '') continue;
      if (!accessibleName(el)) problems.push(`no accessible name: ${describe(el)}`);
    }

    const ids = new Map<string, number>();
    for (const el of Array.from(document.querySelectorAll('[id]'))) ids.set(el.id, (ids.get(el.id) ?? 0) + 1);
    for (const [id, count] of ids) if (count > 1) problems.push(`id "${id}" is used ${count} times`);

    const parse = (color: string): [number, number, number, number] | null => {
      const m = color.match(/rgba?\(([^)]+)\)/);
      if (!m) return null;
      const parts = m[1]!.split(/[\s,/]+/).filter(Boolean).map(Number);
      return [parts[0]!, parts[1]!, parts[2]!, parts[3] ?? 1];
    };
    const luminance = ([r, g, b]: number[]) => {
      const c = [r!, g!, b!].map((v) => {
        const s = v / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * c[0]! + 0.7152 * c[1]! + 0.0722 * c[2]!;
    };
    const background = (el: Element | null): [number, number, number] => {
      for (let node = el; node; node = node.parentElement) {
        const bg = parse(getComputedStyle(node).backgroundColor);
        if (bg && bg[3] >= 0.99) return [bg[0], bg[1], bg[2]];
      }
      return [255, 255, 255];
    };
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const checked = new Set<Element>();
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const el = node.parentElement;
      if (!el || checked.has(el) || !(node.textContent ?? '').trim() || !visible(el)) continue;
      if (el.closest('.visually-hidden, noscript, [aria-hidden="true"]')) continue;
      checked.add(el);
      const style = getComputedStyle(el);
      const fg = parse(style.color);
      if (!fg) continue;
      const bg = background(el);
      const l1 = luminance(fg);
      const l2 = luminance(bg);
      const ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
      const size = parseFloat(style.fontSize);
      const bold = Number(style.fontWeight) >= 700;
      const large = size >= 24 || (bold && size >= 18.66);
      // Disabled controls are exempt from contrast (WCAG 1.4.3).
      if (el.closest('[disabled], [aria-disabled="true"]')) continue;
      if (ratio < (large ? 3 : 4.5)) problems.push(`contrast ${ratio.toFixed(2)}:1 for ${describe(el)}`);
    }

    if (minTarget) {
      for (const el of Array.from(document.querySelectorAll('button, input:not([type="hidden"]), select, .button, .header-button, nav a'))) {
        if (!visible(el)) continue;
        const rect = el.getBoundingClientRect();
        if (rect.height < minTarget - 0.5 || rect.width < minTarget - 0.5) {
          problems.push(`touch target ${Math.round(rect.width)}×${Math.round(rect.height)} px: ${describe(el)}`);
        }
      }
    }
    return problems;
  }, { minTarget: options.minTarget ?? 0 });
}
