"""Attachments: scanned petitions, photos and PDFs, stored outside the web root."""
