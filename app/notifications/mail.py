"""E-mail copies of notifications over SMTP (smtplib), in the recipient's language."""

import contextlib
import smtplib
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from .messages import notification_subject, notification_text


class Mailer:
    """One SMTP connection, opened on the first message and reused for the run."""

    def __init__(
        self,
        host: str,
        port: int = 25,
        *,
        use_tls: bool = False,
        use_ssl: bool = False,
        username: str | None = None,
        password: str | None = None,
        timeout: float = 30,
    ):
        self.host, self.port, self.use_tls, self.use_ssl = host, int(port), use_tls, use_ssl
        self.username, self.password, self.timeout = username, password, timeout
        self.conn: smtplib.SMTP | None = None

    @classmethod
    def from_config(cls, config) -> "Mailer":
        return cls(
            config["MAIL_SERVER"],
            config.get("MAIL_PORT", 25),
            use_tls=config.get("MAIL_USE_TLS", False),
            use_ssl=config.get("MAIL_USE_SSL", False),
            username=config.get("MAIL_USERNAME"),
            password=config.get("MAIL_PASSWORD"),
            timeout=config.get("MAIL_TIMEOUT", 30),
        )

    def _connect(self) -> smtplib.SMTP:
        factory = smtplib.SMTP_SSL if self.use_ssl else smtplib.SMTP
        conn = factory(self.host, self.port, timeout=self.timeout)
        try:
            if self.use_tls and not self.use_ssl:
                conn.starttls()
            if self.username:
                conn.login(self.username, self.password or "")
        except Exception:
            conn.close()
            raise
        return conn

    def send(self, message: EmailMessage) -> None:
        if self.conn is None:
            self.conn = self._connect()
        try:
            self.conn.send_message(message)
        except Exception as err:
            if self.is_connection_error(err):
                self._drop()
            raise

    @staticmethod
    def is_connection_error(err: Exception) -> bool:
        """True when the server, not this one message, is the problem."""
        if isinstance(err, (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError)):
            return True
        return isinstance(err, OSError) and not isinstance(err, smtplib.SMTPException)  # refused, timed out

    def _drop(self) -> None:
        if self.conn is not None:
            try:
                self.conn.close()
            finally:
                self.conn = None

    def close(self) -> None:
        if self.conn is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                self.conn.quit()
            self._drop()


def case_url(case_id: int | None) -> str | None:
    """The absolute link to a case page, when PUBLIC_BASE_URL is configured."""
    base = current_app.config.get("PUBLIC_BASE_URL")
    if not base or not case_id:
        return None
    path = current_app.url_map.bind("localhost").build("cases.case_detail", {"case_id": case_id})
    return base.rstrip("/") + path


def build_message(out) -> EmailMessage:
    """The e-mail for one notification (a ``jobs.Outgoing``), in its recipient's language (default: the site's)."""
    locale = out.locale if out.locale in current_app.config["LANGUAGES"] else current_app.config["BABEL_DEFAULT_LOCALE"]
    link = case_url(out.case_id)
    with force_locale(locale):
        subject = notification_subject(out.kind, out.params)
        paragraphs = [_("Dear %(name)s,", name=out.full_name), notification_text(out.kind, out.params)]
        if link:
            paragraphs.append(_("Open the case: %(link)s", link=link))
        paragraphs += [
            _(
                "You receive this message because you handle this case or petition, or head a unit "
                "responsible for it. All your notifications are in TiepDan, under the bell at the top of every page."
            ),
            "TiepDan",
        ]
    body = "\n\n".join(paragraphs) + "\n"
    msg = EmailMessage()
    msg["Subject"] = subject
    msg["From"] = current_app.config["MAIL_SENDER"]
    msg["To"] = out.email
    msg["Date"] = formatdate(usegmt=True)
    msg["Message-ID"] = make_msgid(idstring=f"n{out.id}", domain="tiepdan")
    msg["X-TiepDan-Notification"] = str(out.id)
    msg.set_content(body)
    msg["Content-Language"] = locale  # after set_content, which replaces the Content-* headers
    return msg
