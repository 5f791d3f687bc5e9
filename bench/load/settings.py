"""Production settings (DEBUG off) for the load test on loopback: the same as deployed except TLS, which nginx
terminates in production and which loopback does not have, so cookies may travel over plain HTTP here."""

from tinhgon.settings import *  # noqa: F403

SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
