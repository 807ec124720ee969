"""WSGI entry point for production servers: ``gunicorn quarter_node.wsgi:app``."""

from quarter_node import create_app

app = create_app()
