#include "dates.h"

#include <math.h>
#include <stdint.h>

/* Days since 1970-01-01 to a proleptic Gregorian date (H. Hinnant). */
static void _civil_from_days(int64_t z, int *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t yy = yoe + era * 400;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t dd = doy - (153 * mp + 2) / 5 + 1;
    int64_t mm = mp < 10 ? mp + 3 : mp - 9;
    *y = (int)(yy + (mm <= 2));
    *m = (int)mm;
    *d = (int)dd;
}

int dates_from_serial(double serial, int date1904, int *y, int *m, int *d)
{
    if (!isfinite(serial) || serial < 0 || serial > 4e6)
        return -1;
    int64_t s = (int64_t)floor(serial);
    if (date1904)
        s += 1462; /* 1904-01-01 is serial 1462 of the 1900 system */
    if (s == 60 || s < 1)
        return -1; /* Excel's 1900-02-29 that never was, and 1900-01-00 */
    if (s < 61)
        s += 1; /* before the fake leap day Excel is one day ahead */
    /* Serial 61 = 1900-03-01; 1899-12-30 is 25569 days before 1970. */
    int64_t days = s - 25569;
    int yy, mm, dd;
    _civil_from_days(days, &yy, &mm, &dd);
    if (yy < 1900 || yy > 9999)
        return -1;
    *y = yy;
    *m = mm;
    *d = dd;
    return 0;
}
