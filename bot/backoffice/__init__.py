"""The HR back-office (/rh/): content, bookings, schedules, menus and what staff asked, in the browser.

Mounted by the web server (bot/web/server.py) as a sub-application; server-rendered pages (aiohttp-jinja2),
plain forms that work without JavaScript. Who may do what: bot/backoffice/access.py.
"""
