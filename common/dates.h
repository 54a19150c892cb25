/*
 * dates.h - Excel date serials: the calendar date a number formatted as a
 * date stands for, in the 1900 date system (with Excel's fake 1900-02-29,
 * serial 60, which is refused) or the 1904 one.  Used by the validator
 * (VT_DATE cells) and the readers.
 *
 * Ownership: pure functions, nothing to free.
 */
#ifndef IAFQ_DATES_H
#define IAFQ_DATES_H

/* The date of serial (its whole part) into *y, *m, *d; 0 on success, -1
 * when the serial is not a date in the years 1900..9999. */
int dates_from_serial(double serial, int date1904, int *y, int *m, int *d);

#endif
