"""gunicorn settings for a Quarter Node (``gunicorn -c deploy/gunicorn.conf.py``)."""

wsgi_app = "quarter_node.wsgi:app"
bind = "127.0.0.1:8000"
workers = 2
threads = 4
timeout = 60
forwarded_allow_ips = "127.0.0.1"
accesslog = "-"
