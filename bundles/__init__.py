"""PDF documents of Sceau: certificates, intake of uploads, evidence packs (issues 3, 6, 7).

Imports signing; never flask or sqlalchemy.
"""
