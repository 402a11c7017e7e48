"""Grassroots mediation (hòa giải ở cơ sở): the records of the commune's mediations, linkable to a later
petition of the same matter."""
