"""The application factory: one readable sequence of small ``configure_*`` steps."""

from __future__ import annotations

import importlib
import logging
import os
from pathlib import Path
from typing import Any

from flask import Flask, has_request_context, render_template, request, session
from flask_babel import gettext as _

from quarter_node import jobs
from quarter_node.config import (
    INSTANCE_CONFIG_FILE,
    SETTINGS,
    default_database_url,
    load_or_create_secret_key,
    read_environment,
)
from quarter_node.errors import ServiceError
from quarter_node.extensions import babel, csrf, db, limiter, login_manager, migrate

PROJECT_ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS_DIR = PROJECT_ROOT / "translations"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

# Blueprints in one place: (module, attribute). Each domain's views define ``bp``.
BLUEPRINTS: tuple[str, ...] = (
    "quarter_node.web.views",
    "quarter_node.setup.views",
    "quarter_node.accounts.views",
    "quarter_node.admin.views",
    "quarter_node.groups.views",
    "quarter_node.posts.views",
    "quarter_node.social.views",
    "quarter_node.social.block_views",
    "quarter_node.media.views",
    "quarter_node.moderation.views",
    "quarter_node.notifications.views",
    "quarter_node.activitypub.ui_views",
    "quarter_node.activitypub.ui_admin_views",
    "quarter_node.plugins.views",
    "quarter_node.search.views",
    "quarter_node.activitypub.discovery_views",
    "quarter_node.activitypub.views",
    "quarter_node.activitypub.inbox",
)


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build a node. ``test_config`` overrides everything else (tests and tools)."""
    app = Flask(
        __name__,
        instance_path=os.environ.get("QN_INSTANCE_PATH") or str(PROJECT_ROOT / "instance"),
        instance_relative_config=True,
    )
    configure_settings(app, test_config)
    configure_logging(app)
    configure_extensions(app)
    configure_plugins(app)
    configure_i18n(app)
    configure_security(app)
    configure_blueprints(app)
    configure_templates(app)
    configure_error_handlers(app)
    configure_cli(app)
    return app


def configure_settings(app: Flask, test_config: dict[str, Any] | None) -> None:
    """Defaults, then the instance file, then ``QN_*`` variables, then ``test_config``."""
    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    app.config.from_mapping({s.key: s.default for s in SETTINGS})
    app.config.from_pyfile(INSTANCE_CONFIG_FILE, silent=True)
    app.config.update(read_environment(os.environ))
    if test_config:
        app.config.update(test_config)
    cfg = app.config
    cfg["SECRET_KEY"] = cfg.get("SECRET_KEY") or load_or_create_secret_key(instance)
    cfg["SQLALCHEMY_DATABASE_URI"] = cfg.get("DATABASE_URL") or default_database_url(instance)
    cfg.setdefault("JOBS_DATABASE", str(instance / "jobs.db"))
    cfg["UPLOAD_DIR"] = cfg.get("UPLOAD_DIR") or str(instance / "media")
    cfg["MAX_CONTENT_LENGTH"] = cfg["UPLOAD_MAX_BYTES"] * 4 + 1024 * 1024
    cfg["SESSION_COOKIE_HTTPONLY"] = True
    cfg["SESSION_COOKIE_SAMESITE"] = "Lax"
    cfg["SESSION_COOKIE_SECURE"] = not cfg["DEV_MODE"] and cfg["BASE_URL"].startswith("https:")
    cfg["REMEMBER_COOKIE_SECURE"] = cfg["SESSION_COOKIE_SECURE"]
    cfg["REMEMBER_COOKIE_HTTPONLY"] = True
    cfg["WTF_CSRF_TIME_LIMIT"] = None  # tokens live as long as the session
    cfg["WTF_I18N_ENABLED"] = True
    cfg["RATELIMIT_STORAGE_URI"] = cfg.get("REDIS_URL") or "memory://"
    cfg["RATELIMIT_HEADERS_ENABLED"] = True
    if cfg["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        cfg.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"connect_args": {"timeout": 30}})
    elif cfg["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        # PostgreSQL's JIT compiles expensive plans for minutes of analytics; for a web
        # request it costs more than it saves (400 ms of compiling on a 100,000-item search).
        cfg.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"connect_args": {"options": "-c jit=off"}})


def configure_logging(app: Flask) -> None:
    logging.basicConfig(
        level=app.config["LOG_LEVEL"], format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )


def configure_extensions(app: Flask) -> None:
    from quarter_node import models  # noqa: F401  (registers every table)
    from quarter_node.database import enable_sqlite_pragmas

    db.init_app(app)
    with app.app_context():
        enable_sqlite_pragmas(db.engine)
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR), render_as_batch=True)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = None
    login_manager.user_loader(_load_user)
    jobs.init_app(app)
    importlib.import_module("quarter_node.mail")  # declares its job on the queue
    importlib.import_module("quarter_node.activitypub.emitters").init_app(app)
    importlib.import_module("quarter_node.search.posts").init_app()


def configure_plugins(app: Flask) -> None:
    """Load the installed plugins (after the extensions, before languages and blueprints)."""
    from quarter_node.plugins import wiring

    wiring.init_app(app)


def _load_user(session_id: str) -> Any:
    from quarter_node.accounts.models import User

    user_id, _sep, fingerprint = session_id.partition(":")
    if not user_id.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or user.password_hash[-12:] != fingerprint:
        return None
    return user


def select_locale() -> str:
    """The user's choice, else the language picked for this browser, else the browser's
    preference, else the node's default language."""
    from quarter_node.node.services import SUPPORTED_LANGUAGES, get_node_settings
    from quarter_node.permissions import current_account

    if not has_request_context():  # CLI commands and background jobs
        return get_node_settings().default_language
    user = current_account()
    if user is not None and user.locale in SUPPORTED_LANGUAGES:
        return user.locale
    chosen = session.get("locale")
    if chosen in SUPPORTED_LANGUAGES:
        return chosen
    default = get_node_settings().default_language
    best = request.accept_languages.best_match(SUPPORTED_LANGUAGES)
    return best or default


def configure_i18n(app: Flask) -> None:
    app.config["BABEL_DEFAULT_LOCALE"] = "de"
    app.config["BABEL_DEFAULT_TIMEZONE"] = "Europe/Berlin"
    from quarter_node.plugins.wiring import translation_catalogs

    directories, domains = translation_catalogs(app, str(TRANSLATIONS_DIR))
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = directories
    app.config["BABEL_DOMAIN"] = domains
    babel.init_app(app, locale_selector=select_locale)


CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "img-src 'self' data:",
        "style-src 'self'",
        "script-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)


def configure_security(app: Flask) -> None:
    from quarter_node.sessions import CookieSessions

    app.session_interface = CookieSessions()

    from quarter_node.machine import is_machine_request

    @app.after_request
    def set_security_headers(response):  # noqa: ANN001, ANN202
        """Page headers for pages; a machine endpoint's short text or JSON answer is never
        rendered or framed by a browser, so only ``nosniff`` (and HSTS) apply there."""
        headers = response.headers
        headers.setdefault("X-Content-Type-Options", "nosniff")
        if app.config["SESSION_COOKIE_SECURE"]:
            headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        if is_machine_request():
            return response
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("X-Frame-Options", "DENY")
        return response


def configure_blueprints(app: Flask) -> None:
    from quarter_node.plugins.wiring import register_blueprints as register_plugin_blueprints

    for module_name in BLUEPRINTS:
        app.register_blueprint(importlib.import_module(module_name).bp)
    register_plugin_blueprints(app)


def configure_templates(app: Flask) -> None:
    """Template helpers; the node's own ``instance/templates`` override any template (core
    or plugin) of the same name."""
    from jinja2 import ChoiceLoader, FileSystemLoader

    from quarter_node.web.template_helpers import register_template_helpers

    node_templates = FileSystemLoader(Path(app.instance_path) / "templates")
    app.jinja_loader = ChoiceLoader([node_templates, app.jinja_loader])  # type: ignore[misc]
    register_template_helpers(app)


def configure_error_handlers(app: Flask) -> None:
    messages = {
        400: lambda: _("The request could not be understood."),
        403: lambda: _("You are not allowed to do this."),
        404: lambda: _("This page does not exist."),
        405: lambda: _("This action is not possible here."),
        413: lambda: _("The upload is too large."),
        429: lambda: _("Too many attempts. Please wait a little and try again."),
        500: lambda: _("Something went wrong on our side. Please try again later."),
    }

    def render_error(status: int, message: str):  # noqa: ANN202
        return render_template("error.html", status=status, message=message), status

    for status, message in messages.items():
        app.register_error_handler(status, lambda error, s=status, m=message: render_error(s, m()))

    from flask_wtf.csrf import CSRFError

    @app.errorhandler(CSRFError)
    def csrf_error(error):  # noqa: ANN001, ANN202
        return render_error(
            400, _("Your form expired or was not sent from this site. Please try again.")
        )

    @app.errorhandler(ServiceError)
    def service_error(error: ServiceError):  # noqa: ANN202
        return render_error(error.status_code, error.message)


def configure_cli(app: Flask) -> None:
    from quarter_node.cli import register_commands

    register_commands(app)
