// EnhancedService of RunInstances and ResetInstance: which of the cloud's agents (Cloud Workload Protection, Cloud
// Monitor, TencentCloud Automation Tools) the instance's system runs. OpenCVM runs none of them; the choice, with
// the documented defaults, is kept on the instance and shown to the operator, never silently dropped.

export interface EnhancedServices {
  SecurityService: boolean;
  MonitorService: boolean;
  AutomationService: boolean;
}

interface Requested {
  SecurityService?: { Enabled?: boolean };
  MonitorService?: { Enabled?: boolean };
  AutomationService?: { Enabled?: boolean };
}

/** Security and monitoring default on; the automation agent defaults on for public images only. */
export function enhancedServices(requested: Requested | undefined, publicImage: boolean): EnhancedServices {
  return {
    SecurityService: requested?.SecurityService?.Enabled ?? true,
    MonitorService: requested?.MonitorService?.Enabled ?? true,
    AutomationService: requested?.AutomationService?.Enabled ?? publicImage,
  };
}
