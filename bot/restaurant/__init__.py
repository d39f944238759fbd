"""The staff restaurant: weekly menus and closures."""
