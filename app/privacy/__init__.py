"""Confidentiality of petitioners' identity (Law on Denunciations 2018 art. 47-48; complainants on request)."""
