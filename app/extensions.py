"""Flask extensions, created unbound and initialised in create_app()."""

from typing import TYPE_CHECKING

from flask_babel import Babel
from flask_bootstrap import Bootstrap5
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# Deterministic constraint names so Alembic migrations are identical on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)

# The base class of the models. ``db.Model`` is built at run time (Base plus Flask-SQLAlchemy's query, bind
# and table-name mixins) and typed as an attribute, which mypy cannot take as a base class: the type checker
# sees the static class it is made of, the program uses ``db.Model`` itself.
if TYPE_CHECKING:
    from flask_sqlalchemy.model import Model as _FSAModel

    class Model(_FSAModel, Base):
        __abstract__ = True

else:
    Model = db.Model
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
bootstrap = Bootstrap5()
