"""gunicorn settings for TiepDan (gunicorn -c gunicorn.conf.py wsgi:app).

The access log names the path only: %(U)s without %(q)s, and neither the request line %(r)s nor the
referer %(f)s, because a query string can carry a citizen's name or CCCD typed into a search box.
"""
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-")
errorlog = os.environ.get("GUNICORN_ERRORLOG", "-")
# remote address, time, method, path (no query string), protocol, status, bytes, duration (µs), user agent
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(D)s "%(a)s"'
# Never log request headers or bodies.
capture_output = False
