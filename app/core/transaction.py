"""Request-owned transactions, as Indico's request handler owns them.

A view loads, checks and calls one operation; operations only flush. The request commits once, after
the view returned a success (a status below 400), and rolls back otherwise: on an error status, and on
any exception. A refused operation (a ``DomainError``, or a concurrent save caught by the version check)
is answered in one place, :func:`answer_refusal`: by default its message is flashed and the user goes
back to the page they came from; a view that should show its form again says so with
:func:`on_refusal` before it calls the operation.

CLI commands and scheduled jobs have no request: they own their transaction and say so where they commit.
"""

from collections.abc import Callable
from typing import Any

from flask import Flask, flash, g, redirect, request, session, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.wrappers import Response

from ..extensions import db
from .errors import DomainError, StaleObject
from .locking import STALE_MESSAGE
from .urls import referrer_or

#: How a view answers a refusal: a URL to go back to (the message is flashed), or a function of the
#: error that answers it itself (renders the form again with the message).
RefusalAnswer = str | Callable[[DomainError], ResponseReturnValue]


class TransactionalFlask(Flask):
    """Flask whose requests own their transaction: one commit when the view succeeded, one rollback otherwise."""

    def preprocess_request(self) -> ResponseReturnValue | None:
        rv = super().preprocess_request()
        return None if rv is None else self._end_transaction(rv)  # a before-request hook answered

    def dispatch_request(self) -> ResponseReturnValue:
        if request.endpoint != "static":  # reading the session would add "Vary: Cookie" to static files
            g.flash_count = len(session.get("_flashes", []))  # what a rollback takes back is said after this
        return self._end_transaction(super().dispatch_request())

    def handle_user_exception(self, e: Exception) -> ResponseReturnValue:
        _roll_back()  # before any error handler runs: nothing of a failed request is kept
        return super().handle_user_exception(e)

    def _end_transaction(self, rv: ResponseReturnValue) -> Response:
        # Here, not in after_request: a failed commit (a concurrent save, a constraint) still reaches the
        # error handlers and becomes a message, not a 500.
        response = self.make_response(rv)
        if response.status_code < 400:
            db.session.commit()
            g.pop("on_rollback", None)
        else:
            _roll_back()
        return response


def on_refusal(answer: RefusalAnswer) -> None:
    """Answer a refused operation of this request with ``answer`` instead of going back to the referrer."""
    g.refusal_answer = answer


def on_rollback(callback: Callable[[], None]) -> None:
    """Call ``callback`` if this request's transaction is rolled back (e.g. to discard a file written for it)."""
    g.setdefault("on_rollback", []).append(callback)


def show_again(render: Callable[[], ResponseReturnValue], form: Any = None) -> None:
    """Answer a refusal with the page again (the form keeps what the user typed), the message on top.

    The message goes at the top of ``form`` when one is given, else it is flashed; a concurrent save is
    always flashed: the flashed stale message carries the link that reloads the record.
    """

    def answer(err: DomainError) -> ResponseReturnValue:
        if form is None or is_stale(err):
            flash(str(err.message), "danger")
        else:
            form.form_errors.append(str(err.message))
        return render()

    on_refusal(answer)


def answer_refusal(err: DomainError) -> ResponseReturnValue:
    """The one answer to a refused operation (already rolled back): the view's own, or flash and go back."""
    answer = g.pop("refusal_answer", None)
    if callable(answer):
        response: ResponseReturnValue = answer(err)
        return response
    flash(str(err.message), "danger")
    return redirect(answer or referrer_or(url_for("index")))


def is_stale(err: DomainError) -> bool:
    """Whether the refusal is a concurrent save (someone saved the record after the form was opened)."""
    return isinstance(err, StaleObject)


def init_app(app: Flask) -> None:
    app.register_error_handler(DomainError, answer_refusal)

    @app.errorhandler(StaleDataError)
    def stale_data(_err: StaleDataError) -> ResponseReturnValue:
        # Two saves of the same versioned row at the same instant, caught only by the row's version counter
        # at flush: the second loses, visibly, and goes back to the page, which shows the latest version.
        g.pop("refusal_answer", None)
        flash(str(STALE_MESSAGE), "danger")
        return redirect(referrer_or(url_for("index")))


def _roll_back() -> None:
    db.session.rollback()
    if "flash_count" in g:
        said = session.get("_flashes", [])
        if len(said) > g.flash_count:  # "Saved." must not outlive a save that was undone
            session["_flashes"] = said[: g.flash_count]
    for callback in g.pop("on_rollback", []):
        callback()
