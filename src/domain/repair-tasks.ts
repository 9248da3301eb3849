// Maintenance (repair) tasks as the CVM API documents them: their types, the authorisation each offers, and the
// progress a task shows, which follows from when it was authorised: not yet (waiting), for a time still to come
// (booked), or done (the simulated repair takes no time once authorised).

/** Task type id → its Chinese name, as DescribeTaskInfo's TaskTypeName gives it. */
export const TASK_TYPES: Readonly<Record<number, string>> = {
  101: "实例运行隐患",
  102: "实例运行异常",
  103: "实例硬盘异常",
  104: "实例网络连接异常",
  105: "实例运行预警",
  106: "实例硬盘预警",
  107: "实例维护升级",
};

/** AuthType: which authorisations a task offers (1 online migration … 8 lossy migration); 2, stop, by default. */
export const AUTH_TYPES = [1, 2, 3, 4, 5, 6, 7, 8] as const;

export interface TaskProgress {
  /** 1 waiting for authorisation, 3 ended, 4 booked. */
  taskStatus: number;
  /** 1 faulty, 3 normal, 4 booked. */
  deviceStatus: number;
  /** 1 not authorised, 3 handled, 4 booked. */
  operateStatus: number;
  endTime: string | null;
}

/** What a task shows at `now` (ISO), given when it was authorised (ISO, or null). */
export function progress(authTime: string | null, now: string): TaskProgress {
  if (authTime === null) return { taskStatus: 1, deviceStatus: 1, operateStatus: 1, endTime: null };
  if (authTime > now) return { taskStatus: 4, deviceStatus: 4, operateStatus: 4, endTime: null };
  return { taskStatus: 3, deviceStatus: 3, operateStatus: 3, endTime: authTime };
}
