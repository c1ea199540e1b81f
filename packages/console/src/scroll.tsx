import type { ComponentChildren } from 'preact';

// A region that scrolls must be reachable by keyboard, or its overflow cannot be read without a
// mouse (WCAG 2.1.1; axe's scrollable-region-focusable). A named section is a landmark region, so
// a screen reader says what it is when focus lands on it.

export function TableWrap({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must take keyboard focus
    <section class="table-wrap" aria-label={label} tabIndex={0}>
      {children}
    </section>
  );
}

export function ScrollPre({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must take keyboard focus
    <section class="scroll" aria-label={label} tabIndex={0}>
      <pre>{children}</pre>
    </section>
  );
}
