"""The coordinators' pages: the dashboard, its CSV and federation health (thin views)."""

from __future__ import annotations

from flask import Response, render_template, request

from .blueprint import bp
from .charts import bar_chart, period_label
from .csv_export import dashboard_csv, filename
from .health import FAILED_WITHIN, member_health
from .overview import dashboard, require_coordinator


@bp.get("/network/dashboard")
def dashboard_page() -> str:
    require_coordinator()
    board = dashboard(request.args.get("period"), request.args.get("node"))
    unit = board.span.choice.unit.value
    charts = {
        metric: bar_chart(board.span.periods, board.total.values[metric], unit)
        for metric in board.metrics
    }
    labels = [period_label(start, unit) for start in board.span.periods]
    return render_template("network/dashboard.html", board=board, charts=charts, labels=labels)


@bp.get("/network/dashboard.csv")
def dashboard_csv_file() -> Response:
    require_coordinator()
    board = dashboard(request.args.get("period"), request.args.get("node"))
    response = Response(dashboard_csv(board), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename(board)}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.get("/network/health")
def health_page() -> str:
    require_coordinator()
    return render_template(
        "network/health.html", rows=member_health(), failed_days=FAILED_WITHIN.days
    )
