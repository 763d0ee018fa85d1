"""Test settings: the production module with test-only speed-ups.

Tests run with DEBUG off, as production does; only the secret key and hosts are given here.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-secret-key-" + "x" * 50)
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("SECURE", "false")

from gongzhi.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
MEDIA_ROOT = BASE_DIR / ".test-media"  # noqa: F405
# Serve static files from the finders in tests; no collectstatic needed.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

# A test app that plugs into every registry without an edit outside itself (tests/plugin_app).
INSTALLED_APPS = [*INSTALLED_APPS, "tests.plugin_app"]  # noqa: F405
