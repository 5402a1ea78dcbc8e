// The application menu: the platform's standard menus, plus a way to find the data folder.
import { Menu, shell, type MenuItemConstructorOptions } from 'electron';

export function buildAppMenu(options: { dataDir: string; platform?: NodeJS.Platform }): Menu {
  const isMac = (options.platform ?? process.platform) === 'darwin';
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' } as const] : []),
    { role: 'fileMenu' },
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [
        {
          label: 'Show Data Folder',
          click: () => {
            void shell.openPath(options.dataDir);
          },
        },
        ...(isMac ? [] : [{ type: 'separator' } as const, { role: 'about' } as const]),
      ],
    },
  ];
  return Menu.buildFromTemplate(template);
}
