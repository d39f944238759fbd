"""Booking a slot with a service: services, recurring schedules, slots, bookings, calendar files, the dialogue."""
