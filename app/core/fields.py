"""Form fields shared by every form, so that bad input is refused in one place.

- ``VersionField``: the hidden version of a record's form (optimistic locking), required.
"""
from wtforms import HiddenField
from wtforms.validators import StopValidation

from .locking import MISSING_VERSION_MESSAGE
from .validation import INT_MAX, parse_int


class VersionField(HiddenField):
    """The version of the record a form was opened at (optimistic locking): required.

    The data is the version number, or None when the post carried none, or anything but a positive whole
    number; then the form is refused with ``MISSING_VERSION_MESSAGE`` and nothing is saved. A missing
    version is never "no check" (``check_version`` refuses it too). Unlike a plain HiddenField, a post
    without the field does not keep the value the form got from its object (``obj=unit``): that is how
    the unit and user forms let a post without a version through.
    """

    def process_formdata(self, valuelist):
        number = parse_int(valuelist[0]) if valuelist else None
        self.data = number if number is not None and 0 < number <= INT_MAX else None

    def pre_validate(self, form):
        if self.data is None:
            raise StopValidation(str(MISSING_VERSION_MESSAGE))
