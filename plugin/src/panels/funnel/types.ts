export interface FunnelOptions {
  /** Drop-off: the lighter part of each bar up to the previous step, and its count between the steps. */
  showDropOff: boolean;
}

export const defaultFunnelOptions: FunnelOptions = { showDropOff: true };
