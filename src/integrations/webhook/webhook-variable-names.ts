/** The predefined webhook variables (spec §7.7); a module of its own so the console can share it. */

/** Names every webhook template can use regardless of the event data. */
export const BUILTIN_VARIABLE_NAMES: readonly string[] = [
  'PARTICLE_DEVICE_ID',
  'PARTICLE_EVENT_NAME',
  'PARTICLE_EVENT_VALUE',
  'PARTICLE_PUBLISHED_AT',
  'PARTICLE_EVENT_ID',
  'PARTICLE_EVENT_JSON',
  'PARTICLE_EVENT_BASE64',
  'PRODUCT_ID',
  'PRODUCT_USER_ID',
  'PRODUCT_VERSION',
  'SPARK_EVENT_NAME',
  'SPARK_EVENT_VALUE',
  'SPARK_CORE_ID',
  'SPARK_PUBLISHED_AT',
];
