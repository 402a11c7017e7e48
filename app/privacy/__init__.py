"""Confidentiality of petitioners' identity (Law on Denunciations 2018 art. 8, 9, 47, 56; complainants on request)."""
