/** The API group of every aisre custom resource. */
export const API_GROUP = "aisre.io";
/** The served (and stored) version. */
export const API_VERSION = "v1alpha1";
/** apiVersion as written in objects. */
export const API_GROUP_VERSION = `${API_GROUP}/${API_VERSION}` as const;
/** The category `kubectl get aisre` lists. */
export const API_CATEGORY = "aisre";
