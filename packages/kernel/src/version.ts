/**
 * The version of the plugin contract (registries, op/kernel/backend interfaces, graph form). Plugins
 * declare the range they support in `apiVersion`; a major bump here means plugins must be rebuilt.
 */
export const KERNEL_API_VERSION = '1.0.0';
