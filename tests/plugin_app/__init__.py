"""A test app that plugs into every registry of the platform from its own AppConfig.ready,
without an edit outside itself (but its line in the test settings' INSTALLED_APPS):
tests/core/test_registries.py checks that it appears everywhere an app can appear."""
