"""A document's three outputs from its stored content: the print page (HTML, A4 or A5), the DOCX (the unit's
uploaded template, else the default one built here) and the PDF (the print page through WeasyPrint)."""

import io
import multiprocessing
import resource
from functools import cache
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt
from docxtpl import DocxTemplate
from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from jinja2 import TemplateError
from jinja2.sandbox import SandboxedEnvironment

from ..core.errors import TransitionRefused
from ..core.i18n import lazy_gettext as _l
from .content import PLACEHOLDERS, REQUIRED_PLACEHOLDERS

#: Fonts with every Vietnamese letter, the first one present is used (Times New Roman where it is installed,
#: else its metric twin Liberation Serif, else DejaVu Serif: the set-up installs the last two).
FONTS = '"Times New Roman", "Liberation Serif", "DejaVu Serif", serif'


def html(content: dict[str, Any], *, toolbar: bool = False, **page: Any) -> str:
    """The print page of a document (the PDF is made from it, without the toolbar: ``page`` is what the
    toolbar shows, the document and its links)."""
    return render_template("documents/document.html", doc=content, fonts=FONTS, toolbar=toolbar, **page)


def pdf(content: dict[str, Any]) -> bytes:
    from weasyprint import CSS, HTML

    css = CSS(filename=str(Path(current_app.static_folder or "") / "document.css"))
    return HTML(string=html(content)).write_pdf(stylesheets=[css])


#: A unit's template renders in a child process with these limits: a template that loops for ever or builds
#: a huge text fails instead of holding a worker.
TEMPLATE_SECONDS = 10
TEMPLATE_MEMORY = 512 * 1024 * 1024


class TemplateFailed(Exception):
    """A unit's template could not render a document (an error, or past the time or memory limit)."""


def docx(content: dict[str, Any], template: bytes | None) -> bytes:
    """The DOCX of a document: ``template`` (a unit's upload, rendered apart: ``TemplateFailed`` if it
    cannot) or the default layout, filled in."""
    if template is None:
        return _render(default_template(), content)
    return _render_apart(template, content)


def _render(template: bytes, content: dict[str, Any]) -> bytes:
    doc = DocxTemplate(io.BytesIO(template))
    doc.render(content, jinja_env=SandboxedEnvironment(autoescape=True), autoescape=True)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _render_child(conn, template: bytes, content: dict[str, Any]) -> None:  # pragma: no cover (a child process)
    try:
        # TEMPLATE_MEMORY more than the worker already maps (a forked child starts with all of it).
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = _address_space() + TEMPLATE_MEMORY
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
        conn.send(("ok", _render(template, content)))
    except BaseException as err:  # noqa: BLE001  (whatever the template raised is its failure, told to the parent)
        conn.send(("error", f"{type(err).__name__}: {err}"[:300]))
    finally:
        conn.close()


def _address_space() -> int:  # pragma: no cover (read in the child process)
    """The bytes of address space this process maps now (Linux; 0 where it cannot be read)."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[0]) * resource.getpagesize()
    except (OSError, ValueError, IndexError):
        return 0


def _render_apart(template: bytes, content: dict[str, Any]) -> bytes:
    """Render an uploaded template in a forked child process, within TEMPLATE_SECONDS and TEMPLATE_MEMORY."""
    ctx = multiprocessing.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    process = ctx.Process(target=_render_child, args=(child, template, content), daemon=True)
    process.start()
    child.close()
    try:
        if not parent.poll(TEMPLATE_SECONDS):
            raise TemplateFailed(_("it took longer than %(n)d seconds", n=TEMPLATE_SECONDS))
        status, value = parent.recv()
    except EOFError as err:  # the child died (its memory limit)
        raise TemplateFailed(_("it used too much memory")) from err
    finally:
        parent.close()
        process.join(1)
        if process.is_alive():
            process.kill()
            process.join()
    if status != "ok":
        raise TemplateFailed(value)
    return value


def check_template(data: bytes, sample: dict[str, Any]) -> None:
    """Refuse (with the reason) a DOCX template that is not a Word document, whose placeholders do not
    parse, that places an unknown name or lacks a required one, or that fails to render ``sample``."""
    try:
        template = DocxTemplate(io.BytesIO(data))
        names = template.get_undeclared_template_variables(jinja_env=SandboxedEnvironment())
    except TemplateError as err:
        raise TransitionRefused(
            _("A placeholder of the template does not parse: %(error)s", error=str(err)[:200])
        ) from err
    except Exception as err:  # python-docx raises zip, XML and key errors for a file that is not a .docx
        raise TransitionRefused(_l("This file is not a Word document (.docx) or its content is broken.")) from err
    unknown = sorted(set(names) - set(PLACEHOLDERS) - {"labels", "motto", "motto_country", "kind", "paper"})
    if unknown:
        raise TransitionRefused(
            _("The template uses unknown placeholders: %(names)s.", names=", ".join("{{ %s }}" % n for n in unknown))
        )
    missing = [n for n in REQUIRED_PLACEHOLDERS if n not in names]
    if missing:
        raise TransitionRefused(
            _("The template lacks required placeholders: %(names)s.", names=", ".join("{{ %s }}" % n for n in missing))
        )
    for shape in samples(sample):
        try:
            _render_apart(data, shape)
        except TemplateFailed as err:  # a template that parses may still fail on real data (a loop over a text…)
            raise TransitionRefused(
                _("The template fails on a sample document: %(error)s", error=str(err)[:200])
            ) from err


def samples(sample: dict[str, Any]) -> list[dict[str, Any]]:
    """The sample document in several shapes (no paragraph, one, several; empty optional fields), for the
    upload check: a template must render them all."""
    shapes = []
    for n in (0, 1, 3, 8):
        shape = {**sample, "paragraphs": ["…"] * n, "recipients": ["…"] * min(n, 3)}
        if n == 0:
            shape.update(
                dict.fromkeys(("issuer_parent", "subtitle", "addressee", "signer_authority", "enclosures"), "")
            )
        shapes.append(shape)
    return shapes


@cache
def _default_template(locale: str) -> bytes:
    with force_locale(locale):
        return _build_default()


def default_template() -> bytes:
    """The default DOCX layout (Decree 30/2020): built once per process with python-docx, placeholders for
    docxtpl, the fixed words in the documents' language."""
    return _default_template(current_app.config["DOCUMENT_LOCALE"])


def _build_default() -> bytes:
    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    style = doc.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)

    def para(cell_or_doc, text: str, *, bold=False, italic=False, align=WD_ALIGN_PARAGRAPH.CENTER, size=None):
        p = cell_or_doc.add_paragraph()
        p.alignment = align
        run = p.add_run(text)
        run.bold, run.italic = bold, italic
        if size:
            run.font.size = Pt(size)
        return p

    head = doc.add_table(rows=1, cols=2)
    head.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = head.rows[0].cells
    left.width, right.width = Cm(6.5), Cm(10)
    left.paragraphs[0].add_run("{{ issuer_parent }}").font.size = Pt(12)
    left.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    para(left, "{{ issuer }}", bold=True, size=12)
    para(left, "{{ labels.number }} {{ number }}", size=13)
    run = right.paragraphs[0].add_run("{{ motto_country }}")
    run.bold, run.font.size = True, Pt(12)
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    para(right, "{{ motto }}", bold=True, size=13)
    para(right, "{{ place_date }}", italic=True, size=13)

    para(doc, "{{ title }}", bold=True, size=14)
    para(doc, "{{ subtitle }}", bold=True, size=13)
    para(doc, "{% if addressee %}{{ labels.addressee }} {{ addressee }}{% endif %}")
    doc.add_paragraph("{%p for p in paragraphs %}")
    body = doc.add_paragraph("{{ p }}")
    body.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    body.paragraph_format.first_line_indent = Cm(1)
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{% if enclosures %}{{ labels.enclosures }} {{ enclosures }}{% endif %}")

    sign = doc.add_table(rows=1, cols=2)
    to, signer = sign.rows[0].cells
    to.width, signer.width = Cm(8), Cm(8.5)
    run = to.paragraphs[0].add_run("{{ labels.recipients }}")
    run.bold, run.italic, run.font.size = True, True, Pt(12)
    to.add_paragraph("{%p for r in recipients %}")
    line = to.add_paragraph("- {{ r }}")
    line.runs[0].font.size = Pt(11)
    to.add_paragraph("{%p endfor %}")
    signer.paragraphs[0].add_run("{{ signer_authority }}").bold = True
    signer.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    para(signer, "{{ signer_title }}", bold=True)
    for _blank in range(3):
        signer.add_paragraph()
    para(signer, "{{ signer_name }}", bold=True)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
