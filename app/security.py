"""Web security: login sessions, throttling, security headers, cookie and SECRET_KEY checks."""


def init_app(app) -> None:
    """Install the security layer on ``app``."""
