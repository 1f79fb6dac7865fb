"""The main window: composition of docks, menus and toolbar."""
