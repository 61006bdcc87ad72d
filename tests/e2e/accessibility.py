"""What the browser tests measure of the page's accessibility, in the page itself.

axe-core (npm, pinned in package-lock.json, installed by `npm ci` but never served by the page's
server) is evaluated into the page under test; Playwright's evaluate is not bound by the page's
Content-Security-Policy, so the page keeps its strict one while it is audited. axe reads
deep-chat's open shadow root too.
"""
from __future__ import annotations

from functools import lru_cache

from playwright.sync_api import Page

from bot.paths import REPO_ROOT

AXE = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.0, 2.1 and 2.2, levels A and AA: the success criteria axe can check by itself.
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# 2.5.5 Target Size (Enhanced, AAA): 44 by 44 CSS pixels, beyond the 24 px AA floor.
TARGET_PX = 44


@lru_cache(maxsize=1)
def _axe_source() -> str:
    if not AXE.exists():
        raise AssertionError(f"{AXE} missing: 'npm ci' installs axe-core (make test does)")
    return AXE.read_text()


def axe_violations(page: Page) -> list[str]:
    """Every WCAG 2.2 A/AA violation axe finds on the page as it is now, one line each:
    rule, impact, and the elements."""
    if not page.evaluate("() => Boolean(window.axe)"):
        page.evaluate(_axe_source())
    found = page.evaluate(
        """async (tags) => {
            const result = await window.axe.run(document, {runOnly: {type: 'tag', values: tags}});
            return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} -> ` +
                v.nodes.map((n) => n.target.join(' ')).join(', '));
        }""",
        WCAG_AA,
    )
    return list(found)


def small_targets(page: Page) -> list[str]:
    """Visible, enabled controls (buttons, links, inputs, the text box) smaller than 44 x 44
    CSS pixels, in the page and in deep-chat's shadow root."""
    return list(page.evaluate(
        """(min) => {
            const controls = [];
            const walk = (root) => {
                for (const el of root.querySelectorAll(
                    'button, a[href], input, select, summary, [role=button], [role=textbox], [contenteditable=true]')) {
                    controls.push(el);
                }
                for (const el of root.querySelectorAll('*')) if (el.shadowRoot) walk(el.shadowRoot);
            };
            walk(document);
            return controls.filter((el) => {
                if (el.disabled || el.getAttribute('aria-disabled') === 'true') return false;
                const box = el.getBoundingClientRect();
                const style = getComputedStyle(el);
                if (!box.width || !box.height || style.visibility === 'hidden') return false;
                if (el.closest('.visually-hidden') || el.classList.contains('skip-link')) return false;
                return box.width < min - 0.5 || box.height < min - 0.5;
            }).map((el) => `${el.tagName.toLowerCase()}#${el.id || ''}.${el.className || ''}` +
                ` "${(el.innerText || el.getAttribute('aria-label') || '').trim().slice(0, 30)}"` +
                ` ${Math.round(el.getBoundingClientRect().width)}x${Math.round(el.getBoundingClientRect().height)}`);
        }""",
        TARGET_PX,
    ))


def sideways_overflow(page: Page) -> int:
    """How many CSS pixels the page is wider than its viewport (0: no sideways scrolling)."""
    return int(page.evaluate(
        "() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth) - window.innerWidth"
    ))
