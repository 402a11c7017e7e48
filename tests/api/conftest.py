from tests.security.conftest import client_of, scene  # noqa: F401  (the same scene as the security tests)
