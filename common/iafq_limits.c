#include "iafq_limits.h"

void limits_default(iafq_limits *lim)
{
    lim->max_file_bytes = LIMITS_DEFAULT_FILE_BYTES;
    lim->max_entry_bytes = LIMITS_DEFAULT_ENTRY_BYTES;
    lim->max_ratio = LIMITS_DEFAULT_RATIO;
    lim->max_entries = LIMITS_DEFAULT_ENTRIES;
    lim->max_cells = LIMITS_DEFAULT_CELLS;
    lim->max_rows = LIMITS_DEFAULT_ROWS;
    lim->max_cols = LIMITS_DEFAULT_COLS;
    lim->max_cell_bytes = LIMITS_DEFAULT_CELL_BYTES;
    lim->max_sst_bytes = LIMITS_DEFAULT_SST_BYTES;
    lim->max_sst_count = LIMITS_DEFAULT_SST_COUNT;
    lim->max_findings = LIMITS_DEFAULT_FINDINGS;
}
