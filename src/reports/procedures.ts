// reports.*: the numbers a manager reads (being written).
export const reportProcedures = {} as const;
