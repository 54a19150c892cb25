/* Interrupts in the commands that write (common/interrupt.h), with the
 * database's running query cancelled so that the server lets go of its
 * locks at once rather than when the query ends. */
#include "cli.h"
#include "interrupt.h"

#include <libpq-fe.h>

static PGcancel *cancel; /* of the connection last given */

/* The handler's hook: PQcancel is async-signal-safe (libpq's manual). */
static void cancel_query(void *arg)
{
    char buf[256];
    PQcancel(arg, buf, sizeof buf);
}

void cli_interrupt_db(db_conn *db)
{
    intr_install();
    PGcancel *c = db ? PQgetCancel(db_pg(db)) : NULL;
    intr_set_cancel(c ? cancel_query : NULL, c);
    PQfreeCancel(cancel); /* no longer the handler's */
    cancel = c;
}
