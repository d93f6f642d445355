"""Packs bootstrapped from data a fan can save: a TVmaze show document or
the NFO files Kodi and Jellyfin keep beside a media library.

Each importer reads its input into a `Draft` (draft.py); one writer turns
any draft into a pack folder (writer.py), so both produce the same layout.
"""
