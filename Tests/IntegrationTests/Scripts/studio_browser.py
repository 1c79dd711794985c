"""Drives Darkroom Studio (the page at `/`) in a real Chromium through Playwright, and prints a JSON report of
what it saw; IntegrationTests/StudioBrowserTests.swift judges the report.

Usage:
  studio_browser.py BASE_URL studio [SCREENSHOT_DIR]   generate, watch, download, history, cancel, a bad field,
                                                       keyboard only, labels, CSP, page weight, 390 px, dark
  studio_browser.py BASE_URL breaker BACKEND_ID STATE  waits until the Queue view shows the backend's breaker
  studio_browser.py BASE_URL key KEY                   with authentication on: the page asks for the key once
  studio_browser.py BASE_URL late                      the submit's answer held back until the job has moved on

Chromium comes from Debian's package (`/usr/bin/chromium`); `playwright install` cannot download browsers here.
"""

import json
import sys

from playwright.sync_api import sync_playwright

base = sys.argv[1].rstrip("/")
phase = sys.argv[2]
report = {}


def launch(playwright):
    return playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])


def watch(page):
    """Records console errors, every request's URL and the bytes of every finished response."""
    seen = {"errors": [], "urls": [], "bytes": 0}
    page.on("console", lambda message: seen["errors"].append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: seen["errors"].append(str(error)))
    page.on("request", lambda request: seen["urls"].append(request.url))

    def finished(request):
        sizes = request.sizes()
        seen["bytes"] += sizes["responseBodySize"] + sizes["responseHeadersSize"]

    page.on("requestfinished", finished)
    return seen


def wait_for_text(page, element_id):
    """Waits until the element has text, and returns it."""
    page.wait_for_function(f"() => document.getElementById('{element_id}').textContent.trim() !== ''")
    return page.locator(f"#{element_id}").inner_text()


def follow_running_job(page, screenshots=None):
    """Follows the Now entry of the job just submitted, waiting on each change of its bar or preview, until the bar
    has advanced twice and two different previews have shown: returns the entry, the bar values and the previews.
    With `screenshots`, takes the page's picture once the second preview shows."""
    values, previews = [], []
    entry = page.locator("#now-list li").first
    entry.wait_for(timeout=60_000)
    last = None
    while len(values) < 2 or len(previews) < 2:
        changed = page.wait_for_function(
            """(last) => { const item = document.querySelector('#now-list li');
                           if (!item) return {gone: true};
                           const state = {value: item.querySelector('progress').value,
                                          src: item.querySelector('img.preview').getAttribute('src')};
                           return !last || state.value !== last.value || state.src !== last.src ? state : false; }""",
            arg=last,
            timeout=180_000,
        ).json_value()
        if changed.get("gone"):
            break
        if changed["value"] and (not values or values[-1] != changed["value"]):
            values.append(changed["value"])
        if changed["src"] and changed["src"] not in previews:
            previews.append(changed["src"])
            if screenshots and len(previews) == 2:
                page.screenshot(path=f"{screenshots}/studio-now.png", full_page=True)
        last = changed
    return entry, values, previews


def studio(playwright, screenshots):
    browser = launch(playwright)
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    seen = watch(page)
    response = page.goto(f"{base}/")
    report["csp"] = response.headers.get("content-security-policy")
    # Every module has run once the history (empty on a fresh server) is drawn.
    page.locator("#history-empty").wait_for()
    report["first_load_bytes"] = seen["bytes"]

    # Watch a long portrait (100 steps) until its bar has advanced and two previews have shown, then cancel it
    # from its Now entry: it ends in the history as canceled. Waiting on events, not on time, keeps this
    # independent of how fast a loaded machine runs the job.
    page.get_by_label("Prompt", exact=True).fill("a studio portrait, soft window light")
    page.get_by_label("Steps", exact=True).fill("100")
    page.get_by_role("button", name="Generate").click()
    entry, report["progress_values"], previews = follow_running_job(page, screenshots)
    report["distinct_previews"] = len(previews)
    report["previews_are_images"] = all(src.startswith("data:image/") for src in previews)
    canceled_id = entry.get_attribute("id").removeprefix("now-")
    entry.get_by_role("button", name="Cancel").click()
    page.locator(f"#history-{canceled_id}[data-state=canceled]").wait_for(timeout=60_000)
    report["canceled"] = True

    # Generate a portrait of 8 steps: the image arrives at its size and downloads as a PNG.
    page.get_by_label("Steps", exact=True).fill("8")
    page.get_by_role("button", name="Generate").click()
    page.wait_for_function(
        "() => { const image = document.getElementById('result-image');"
        " return !image.hidden && image.complete && image.naturalWidth > 0; }",
        timeout=180_000,
    )
    report["result_size"] = page.evaluate(
        "() => { const image = document.getElementById('result-image');"
        " return [image.naturalWidth, image.naturalHeight]; }"
    )
    report["result_caption"] = page.locator("#result-caption").inner_text()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download PNG").click()
    with open(download.value.path(), "rb") as file:
        report["download_is_png"] = file.read(8) == b"\x89PNG\r\n\x1a\n"
    if screenshots:
        page.screenshot(path=f"{screenshots}/studio-generate.png", full_page=True)

    # The history survives a reload.
    job_id = page.locator("#result-download").get_attribute("download").removesuffix(".png")
    page.locator(f"#history-{job_id}").wait_for(timeout=30_000)
    page.reload()
    page.locator(f"#history-{job_id}").wait_for(timeout=30_000)
    report["history_after_reload"] = page.locator(f"#history-{job_id}").get_attribute("data-state")
    if screenshots:
        page.locator("#history-heading").scroll_into_view_if_needed()
        page.locator("section[aria-labelledby=history-heading]").screenshot(path=f"{screenshots}/studio-history.png")

    # A bad field shows the API's own message next to it (the reload emptied the prompt).
    page.get_by_label("Prompt", exact=True).fill("a portrait of a size the API refuses")
    page.get_by_label("Size", exact=True).select_option("custom")
    page.get_by_label("Width", exact=True).fill("1000")
    page.get_by_role("button", name="Generate").click()
    report["width_message"] = wait_for_text(page, "width-error")
    report["width_invalid"] = page.get_by_label("Width", exact=True).get_attribute("aria-invalid")

    # Every control is labelled.
    report["unlabelled"] = page.evaluate(
        """() => [...document.querySelectorAll('input, select, textarea, button, a')]
              .filter((control) => !(control.labels?.length || control.getAttribute('aria-label')
                                     || control.textContent.trim()))
              .map((control) => control.id || control.outerHTML.slice(0, 60))"""
    )

    # The Queue view.
    page.get_by_role("button", name="Queue").click()
    page.locator("#queue-backends tbody tr").first.wait_for(timeout=30_000)
    report["queue_backends"] = page.locator("#queue-backends tbody tr").count()
    # The completions line is drawn from the samples the gateway keeps, in the same refresh as the table.
    report["chart_points"] = page.evaluate(
        "() => (document.querySelector('#queue-rate polyline')?.getAttribute('points') ?? '')"
        ".trim().split(/\\s+/).filter(Boolean).length"
    )
    if screenshots:
        page.locator("#queue-figures div").first.wait_for()
        page.screenshot(path=f"{screenshots}/studio-queue.png", full_page=True)

    # Chromium logs every answer that is not a success as a console error: the 422 the bad width provoked is
    # the one expected; anything else is the page's fault.
    expected = "the server responded with a status of 422"
    report["console_errors"] = [error for error in seen["errors"] if expected not in error]
    report["off_origin"] = [url for url in seen["urls"] if not url.startswith(base) and not url.startswith("data:")
                            and not url.startswith("blob:")]
    browser.close()

    keyboard_only(playwright)
    narrow_and_dark(playwright)


def keyboard_only(playwright):
    """Submits a portrait with the keyboard alone: Tab to the prompt, type, Tab to Generate, Enter."""
    browser = launch(playwright)
    page = browser.new_page()
    page.goto(f"{base}/")
    page.locator("#history-heading").wait_for()
    before = page.locator("#history-list li").count()

    def tab_to(predicate_js, limit=60):
        for _ in range(limit):
            page.keyboard.press("Tab")
            if page.evaluate(predicate_js):
                return True
        return False

    report["keyboard_reached_prompt"] = tab_to("() => document.activeElement?.id === 'prompt'")
    page.keyboard.type("a portrait typed without a mouse")
    report["keyboard_reached_generate"] = tab_to(
        "() => document.activeElement?.tagName === 'BUTTON' && document.activeElement.textContent === 'Generate'"
    )
    page.keyboard.press("Enter")
    page.wait_for_function(
        f"() => document.querySelectorAll('#now-list li').length > 0"
        f" || document.querySelectorAll('#history-list li').length > {before}",
        timeout=30_000,
    )
    report["keyboard_submitted"] = True
    browser.close()


def narrow_and_dark(playwright):
    browser = launch(playwright)
    backgrounds = {}
    for scheme in ("light", "dark"):
        page = browser.new_page(viewport={"width": 390, "height": 844}, color_scheme=scheme)
        page.goto(f"{base}/")
        page.locator("#history-heading").wait_for()
        backgrounds[scheme] = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
        report[f"overflow_{scheme}"] = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        page.close()
    report["backgrounds"] = backgrounds
    browser.close()


def breaker(playwright, backend, state):
    browser = launch(playwright)
    page = browser.new_page()
    page.goto(f"{base}/")
    page.get_by_role("button", name="Queue").click()
    cell = page.locator(f'#queue-backends tr[data-backend="{backend}"] td.breaker-{state}')
    cell.wait_for(timeout=120_000)
    report["breaker"] = state
    browser.close()


def late_answer(playwright):
    """Holds back the submit's answer until the event stream has moved the job on, as a loaded machine can: first
    until the job runs at step 2 or later (the page must not move its bar back or call it queued), then, for a
    second job, until it has ended (the page must not bring it back into Now, and still shows its result)."""
    browser = launch(playwright)
    page = browser.new_page()
    held = []

    def hold(route):
        if route.request.method != "POST":
            route.continue_()
            return
        held.append((route, route.fetch()))

    page.route("**/v1/jobs", hold)
    page.goto(f"{base}/")
    page.locator("#history-empty").wait_for()

    page.get_by_label("Prompt", exact=True).fill("a portrait whose answer comes late")
    page.get_by_label("Steps", exact=True).fill("100")
    page.get_by_role("button", name="Generate").click()
    page.wait_for_function(
        "() => { const bar = document.querySelector('#now-list li progress'); return bar && bar.value >= 2; }",
        timeout=180_000,
    )
    entry = page.locator("#now-list li").first
    running_id = entry.get_attribute("id").removeprefix("now-")
    before = page.evaluate("() => document.querySelector('#now-list li progress').value")
    route, response = held.pop()
    route.fulfill(response=response)
    # Every value and status the entry shows from the answer on, until the bar has advanced twice more.
    seen = page.evaluate(
        """(before) => new Promise((resolve) => {
             const item = document.querySelector('#now-list li');
             const seen = [];
             const look = () => {
               seen.push([item.querySelector('progress').value, item.querySelector('.status').textContent]);
               if (item.querySelector('progress').value >= before + 2) resolve(seen);
               else requestAnimationFrame(look);
             };
             look();
           })""",
        before,
    )
    report["late_values"] = [before] + [value for value, _ in seen]
    report["late_statuses"] = sorted({status.split(" ")[0] for _, status in seen})
    entry.get_by_role("button", name="Cancel").click()
    page.locator(f"#history-{running_id}[data-state=canceled]").wait_for(timeout=60_000)

    page.get_by_label("Prompt", exact=True).fill("a portrait that ends before its answer comes")
    page.get_by_label("Steps", exact=True).fill("1")
    page.get_by_role("button", name="Generate").click()
    while not held:
        page.wait_for_timeout(50)
    route, response = held.pop()
    page.locator(f"#history-{response.json()['id']}").wait_for(timeout=180_000)
    watching = page.evaluate_handle(
        """() => { const watch = {most: 0, shown: false};
                   const look = () => {
                     watch.most = Math.max(watch.most, document.querySelectorAll('#now-list li').length);
                     const image = document.getElementById('result-image');
                     watch.shown = !image.hidden && image.complete && image.naturalWidth > 0;
                     if (!watch.shown) requestAnimationFrame(look);
                   };
                   look();
                   return watch; }"""
    )
    route.fulfill(response=response)
    page.wait_for_function("(watch) => watch.shown", arg=watching, timeout=60_000)
    report["ended_result_shown"] = True
    # The most entries Now showed from the answer until the result: the ended job's, if it came back.
    report["ended_now_entries"] = page.evaluate("(watch) => watch.most", watching)
    browser.close()


def key(playwright, api_key):
    browser = launch(playwright)
    page = browser.new_page()
    page.goto(f"{base}/")
    field = page.get_by_label("API key", exact=True)
    field.wait_for()
    report["asked_for_key"] = True
    field.fill("not-a-key")
    page.get_by_role("button", name="Use this key").click()
    report["wrong_key_message"] = wait_for_text(page, "key-error")
    field.fill(api_key)
    page.get_by_role("button", name="Use this key").click()
    page.locator("#history-heading").wait_for()
    page.reload()
    page.locator("#history-heading").wait_for()
    report["asked_again_after_reload"] = page.get_by_label("API key", exact=True).is_visible()
    # The heading comes before the list's one read of the jobs has answered (under load, long before): wait for it
    # to fill; every job it shows comes from that one answer, so a job of another tenant would be there too.
    page.locator("#history-list li").first.wait_for(timeout=60_000)
    report["history_ids"] = [
        item.get_attribute("id").removeprefix("history-") for item in page.locator("#history-list li").all()
    ]
    browser.close()


with sync_playwright() as playwright:
    if phase == "studio":
        studio(playwright, sys.argv[3] if len(sys.argv) > 3 else None)
    elif phase == "breaker":
        breaker(playwright, sys.argv[3], sys.argv[4])
    elif phase == "key":
        key(playwright, sys.argv[3])
    elif phase == "late":
        late_answer(playwright)
    else:
        sys.exit(f"unknown phase {phase}")
print(json.dumps(report))
