"""Every response carries the security headers; a signed-in person's pages are never
cached; static files keep their caching; the Content-Security-Policy holds for every
template (ADR 0012)."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from self_assessments.charts import svg_chart
from tests.accounts.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
WHITENOISE = "whitenoise.middleware.WhiteNoiseMiddleware"

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client):
    client.force_login(UserFactory())
    return client


def test_a_signed_in_page_is_never_cached(signed_in):
    response = signed_in.get(reverse("inbox"))
    assert response.status_code == 200
    cache_control = response["Cache-Control"]
    assert "no-store" in cache_control and "private" in cache_control


def test_a_page_that_starts_a_session_is_never_cached(client):
    response = client.post(reverse("login"), {"username": "nobody@example.org", "password": "x"})
    assert "no-store" in response["Cache-Control"]


def test_a_response_without_a_session_is_left_alone(client):
    response = client.get("/healthz")
    assert "no-store" not in response.get("Cache-Control", "")
    assert "Permissions-Policy" in response


def test_every_response_denies_the_browser_features(client, signed_in):
    for response in (client.get(reverse("login")), signed_in.get(reverse("inbox"))):
        policy = response["Permissions-Policy"]
        for feature in ("camera", "microphone", "geolocation", "payment"):
            assert f"{feature}=()" in policy


def test_static_files_skip_the_headers_and_keep_their_caching(signed_in, settings, tmp_path):
    # Production's order: WhiteNoise straight after SecurityMiddleware, before the rest.
    settings.MIDDLEWARE = [settings.MIDDLEWARE[0], WHITENOISE, *settings.MIDDLEWARE[1:]]
    settings.WHITENOISE_USE_FINDERS = True  # no collectstatic in tests
    settings.STATIC_ROOT = tmp_path
    response = signed_in.get(f"{settings.STATIC_URL}css/app.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
    assert "max-age" in response["Cache-Control"]
    assert "Permissions-Policy" not in response
    assert "Content-Security-Policy" not in response


def test_the_content_security_policy_allows_only_the_pages_own_nonced_scripts(signed_in):
    response = signed_in.get(reverse("inbox"))
    policy = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )
    nonce = re.search(r"'nonce-([^']+)'", policy["script-src"]).group(1)
    assert policy == {
        "default-src": "'self'",
        "script-src": f"'self' 'nonce-{nonce}'",
        "style-src": "'self'",
        "img-src": "'self' data:",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
    }
    page = response.content.decode()
    inline = re.findall(r"<script(?![^>]*\ssrc=)[^>]*>", page)
    assert inline and all(f'nonce="{nonce}"' in tag for tag in inline), inline


# --- every template, read as text -------------------------------------------------------

TEMPLATE_DIRS = [ROOT / "templates", *ROOT.glob("*/templates")]
TEMPLATES = sorted(
    path
    for folder in TEMPLATE_DIRS
    if ".venv" not in folder.parts and "node_modules" not in folder.parts
    for path in folder.rglob("*.html")
)


def test_there_are_templates_to_check():
    assert len(TEMPLATES) > 50
    assert ROOT / "templates" / "base.html" in TEMPLATES


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_template_has_an_inline_style_or_an_unnonced_script(path):
    text = path.read_text()
    assert not re.search(r"\sstyle\s*=", text), "inline style attribute: use a CSS class"
    assert "<style" not in text, "a <style> element: put the rules in static CSS"
    assert not re.search(r"\son[a-z]+\s*=", text), "inline event handler: use a script file"
    for tag in re.findall(r"<script\b[^>]*>", text):
        if "src=" not in tag:
            assert 'nonce="{{ request.csp_nonce }}"' in tag, tag


def test_charts_use_presentation_attributes_not_style():
    svg = svg_chart("c", "A chart", "What it shows", 400, 300, ['<rect fill="#1d70b8"/>'])
    assert "style=" not in svg and 'width="400"' in svg
