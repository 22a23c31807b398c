export type FormValue = string | undefined | FormObject;
export interface FormObject {
  [key: string]: FormValue;
}

/** `application/x-www-form-urlencoded` with bracket notation for nesting (`address[line1]=…`). */
export function encodeForm(fields: FormObject): string {
  const params = new URLSearchParams();
  const walk = (value: FormValue, key: string): void => {
    if (value === undefined) return;
    if (typeof value === 'string') {
      params.append(key, value);
      return;
    }
    for (const [child, childValue] of Object.entries(value)) walk(childValue, `${key}[${child}]`);
  };
  for (const [key, value] of Object.entries(fields)) walk(value, key);
  return params.toString();
}
