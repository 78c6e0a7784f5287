"""What the browser tests share besides fixtures: sizes, axe options, screenshots, admin login."""

from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 740}
# What Chromium lays a printed A4 page out in: 210 mm less print.css's 16 mm side margins,
# 297 mm less 18 mm top and bottom, at 96 CSS px per inch.
A4 = {"width": 673, "height": 986}
WCAG_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}


def assert_no_axe_violations(axe, page):
    results = axe.run(page, options=WCAG_AA).response
    violations = results["violations"]
    if violations:
        lines = [f"{len(violations)} axe violation(s) at WCAG 2.1 AA on {page.url}:"]
        for violation in violations:
            lines.append(f"- {violation['id']} ({violation.get('impact')}): {violation['help']}")
            for node in violation["nodes"]:
                lines.append(f"    at {node['target']}: {node.get('failureSummary', '').strip()}")
        pytest.fail("\n".join(lines), pytrace=False)


def save_screenshot(page, name):
    # A full-page screenshot shows lazy images below the fold too: load them first.
    page.evaluate("() => document.querySelectorAll('img[loading=lazy]').forEach(img => { img.loading = 'eager'; })")
    page.wait_for_function("() => [...document.images].every(img => img.complete)")
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def login_to_admin(page, base_url, username, password):
    """Log in through the real admin login form."""
    page.goto(f"{base_url}/admin/login/?next=/admin/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit], button[type=submit]")
    page.wait_for_url(f"{base_url}/admin/")


def paste_html(page, field, html):
    """Paste HTML into a rich-text field the way a browser does: a clipboard paste event on the editor."""
    editor = page.locator(f".prose-editor:has(#id_{field}) .ProseMirror[contenteditable=true]")
    editor.click()
    editor.press("Control+a")  # the paste replaces what the field held
    editor.evaluate(
        """(el, html) => {
            const data = new DataTransfer();
            data.setData("text/html", html);
            data.setData("text/plain", el.innerText);
            el.dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true}));
        }""",
        html,
    )


# The password of the admin account the editor fixtures log in with.
PASSWORD = "lantern-festival-2019!"
