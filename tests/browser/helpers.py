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
    # A paste from Word or Hancom Office is converted by the server first (static/admin-overrides/office-paste.js).
    page.wait_for_selector(f"#id_{field}[data-pasting]", state="detached")


# The password of the admin account the editor fixtures log in with.
PASSWORD = "lantern-festival-2019!"


# --- the clip change form, as an editor fills it in ------------------------------

TITLE = "Lantern festival lights up the Gwangju stream"
SLUG = "lantern-festival-gwangju-stream"
KOREAN_PDF = "민선7기_1주년_성과.pdf"


def fill_clip_fields(page, *, title=TITLE, slug=SLUG):
    page.fill("#id_title", title)
    # The admin's prepopulate script fills the slug from the title as the editor types; override it.
    page.fill("#id_slug", "")
    page.fill("#id_slug", slug)
    assert page.input_value("#id_slug") == slug
    page.fill("#id_subtitle", "Thousands of lanterns float along the restored stream")
    page.fill("#id_highlights", "| 3,000 lanterns on the water\n| Free for every visitor")
    paste_html(page, "body", "<p>The city held its first <strong>lantern festival</strong> on the Gwangju stream.</p>")
    page.fill("#id_author_name", "Communications Office")


def add_inline_row(page, group):
    """Click the admin's "Add another …" link of an inline group; return the new form's index."""
    index = int(page.input_value(f"#id_{group}-TOTAL_FORMS"))
    page.click(f"#{group}-group .add-row a")
    return index


def set_position(page, name, value):
    # Set through the DOM: the position input may be hidden (drag-and-drop ordering) or a number box.
    page.locator(f'input[name="{name}"]').evaluate("(el, value) => { el.value = value; }", str(value))


def add_photo(page, path, *, alt, caption="", position=None):
    index = add_inline_row(page, "images")
    page.set_input_files(f'input[name="images-{index}-image"]', path)
    page.fill(f'[name="images-{index}-alt_text"]', alt)
    page.fill(f'[name="images-{index}-caption"]', caption)
    if position is not None:
        set_position(page, f"images-{index}-position", position)


def add_attachment(page, path, *, title="", position=None):
    index = add_inline_row(page, "attachments")
    page.set_input_files(f'input[name="attachments-{index}-file"]', path)
    page.fill(f'[name="attachments-{index}-title"]', title)
    if position is not None:
        set_position(page, f"attachments-{index}-position", position)


def click_step(page, step):
    # save_on_top puts every button twice; the bottom row is the one editors use.
    page.locator(f'button[name="_workflow"][value="{step}"]').last.click()
